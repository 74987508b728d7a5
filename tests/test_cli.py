import subprocess
import sys

from neurona import cli


def test_demo_trains_and_reports_test_metrics(capsys):
    assert cli.main(["demo", "--epochs", "20", "--verbose", "2"]) == 0
    out = capsys.readouterr().out
    assert "Epoch 20/20" in out and "Total params: 4,810" in out  # 64·64 + 64 + 64·10 + 10
    accuracy = float(out.strip().splitlines()[-1].split("accuracy = ")[1])
    assert accuracy > 0.9


def test_console_script_version():
    result = subprocess.run(
        [sys.executable, "-m", "neurona.cli", "version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().startswith("neurona 0.")
