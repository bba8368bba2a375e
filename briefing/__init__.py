"""Cyber Norms Briefing Kit."""
