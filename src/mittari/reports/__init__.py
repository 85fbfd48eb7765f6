"""Printed and mailed output: the monthly service-review report and the SVG charts it shares
with the dashboard."""
