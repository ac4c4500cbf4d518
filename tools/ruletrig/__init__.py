"""Helpers of tools/rule-trigger.py: rule parsing, Suricata's content
matching model, buffer and flow synthesis, addresses and packets."""
