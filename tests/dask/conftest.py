"""``scan --dask`` against a real Dask distributed cluster started here (scheduler and two worker processes on
loopback), in the venv of requirements/dask.txt (bpy + dask + distributed). The test process itself never imports
bpy: files are built and scanned by child processes, as on a studio's cluster."""
