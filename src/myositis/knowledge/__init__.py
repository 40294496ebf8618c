"""Curated, cited knowledge: therapies, autoantibodies and guidance, validated on load."""

from myositis.knowledge.loader import KnowledgeBase, check, load

__all__ = ["KnowledgeBase", "check", "load"]
