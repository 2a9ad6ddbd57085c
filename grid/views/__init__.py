"""The talent grid's pages, by feature: dashboard (grid, drill-down, export), placements,
movement, calibration and succession."""
