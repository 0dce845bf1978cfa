from retranscribe.cli import app

app(prog_name="retranscribe")
