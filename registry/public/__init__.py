"""The register's public face: what the public, journalists, banks and other agencies see.
Public facts only: never a personal field beyond what the law makes public."""
