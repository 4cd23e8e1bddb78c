"""The procedures the register owns, as definition files read by the workflow engine."""

from pathlib import Path

COMPANY_CREATION = "company_creation"
COMPANY_CREATION_FILE = Path(__file__).resolve().parent / "company_creation.yaml"
