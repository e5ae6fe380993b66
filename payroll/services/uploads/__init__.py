"""Upload kinds (올리는 파일 종류): one module each in ``kinds/``, found by ``registry``."""
