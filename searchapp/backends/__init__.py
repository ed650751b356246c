"""Index engines behind the seam (searchapp.backend): one package per engine, each with `open`."""
