"""One module per pay line or small family of lines; each is loaded by the registry."""
