"""Messages that leave the system: payslip e-mail over SMTP, 알림톡/SMS through a provider."""
