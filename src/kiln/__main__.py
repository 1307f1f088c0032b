from kiln.cli.main import run

run()
