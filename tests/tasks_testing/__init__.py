"""Test-only background tasks, importable by a real worker process started by a test."""
