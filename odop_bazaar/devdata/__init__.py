"""Development data: the demo shop (flask seed-demo) and benchmark catalogues."""
