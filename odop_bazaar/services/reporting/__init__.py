"""Reporting for staff: the dashboard, reports and the audit log."""
