"""One module per limit rule type, each a :class:`~payroll.domain.limits.registry.RuleType`
registered with ``@register`` (all modules here are loaded by the registry)."""
