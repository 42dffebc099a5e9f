"""Reports: plots and a plain-language summary of runs, written as one self-contained HTML file."""

from exitban.report.bands import Bands, bands, replicate
from exitban.report.figures import PLOTS, compare
from exitban.report.html import ReportFiles, write_report
from exitban.report.rundata import RunData
from exitban.report.text import plain_summary

__all__ = ["PLOTS", "Bands", "ReportFiles", "RunData", "bands", "compare", "plain_summary", "replicate", "write_report"]
