"""The `retranscribe` command line."""

from __future__ import annotations

from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from retranscribe import models

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
models_app = typer.Typer(invoke_without_command=True, help="List, verify and locate models.")
app.add_typer(models_app, name="models")
console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@models_app.callback()
def models_list(ctx: typer.Context) -> None:
    """List the embedded models and verify every file against its recorded sha256."""
    if ctx.invoked_subcommand is not None:
        return
    table = Table(title="Embedded models (offline)")
    for column in ("name", "kind", "aliases", "sha256", "source"):
        table.add_column(column)
    broken = []
    for model in models.EMBEDDED_MODELS:
        try:
            checks = models.verify_embedded(model.name)
            status = "[green]ok[/]" if all(checks.values()) else "[red]MISMATCH[/]"
            if not all(checks.values()):
                broken.append(model.name)
        except models.ModelError as error:
            status = f"[red]{error}[/]"
            broken.append(model.name)
        table.add_row(model.name, model.kind, ", ".join(model.aliases), status, model.description)
    console.print(table)
    console.print(f"cache: {models.cache_root() / 'models'}")
    if broken:
        fail(f"models failed verification: {', '.join(broken)}")


@models_app.command("path")
def models_path(name: str) -> None:
    """Print the local folder of a resolved model (embedded, local or hub-cached)."""
    try:
        model = models.embedded_model(name)
        path = models.resolve_embedded(name) if model else models.resolve_whisper(name)
    except models.ModelError as error:
        fail(str(error))
    print(path)
