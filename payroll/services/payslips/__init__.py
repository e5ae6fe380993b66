"""Stored payslips: PDF output and print files, reading them back, sending them by
e-mail or 알림톡."""
