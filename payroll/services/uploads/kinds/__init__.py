"""One module per upload kind, each declaring ``KIND``: an
:class:`~payroll.services.uploads.registry.UploadKind`."""
