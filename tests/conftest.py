"""Test options: --accept re-blesses golden files."""


def pytest_addoption(parser):
    parser.addoption("--accept", action="store_true",
                     help="rewrite the golden files from the current output")
