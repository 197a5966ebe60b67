"""Throwaway TLS certificates, made by the test run for its own servers."""

import subprocess


def self_signed(directory, name, common_name, alt_names):
    """Write <name>.crt and <name>.key (readable by any container user); return the .crt path."""
    directory.mkdir(parents=True, exist_ok=True)
    certificate, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN={common_name}", "-addext", f"subjectAltName={','.join(alt_names)}",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    key.chmod(0o644)
    certificate.chmod(0o644)
    directory.chmod(0o755)  # mounted into containers whose user is not the owner
    return certificate
