"""llmsum: from a pile of news articles to one trustworthy, grounded, cross-source brief.

import llmsum
articles = llmsum.load_articles("seeds/")
extractions = llmsum.extract(articles)          # embedded model unless a server is configured
brief = llmsum.reconcile(extractions)
print(brief.to_markdown())
"""

from llmsum.errors import ConfigError, LlmsumError, LoadError, LocalModelError
from llmsum.io.load import Articles, load_articles
from llmsum.models import (
    Article,
    ArticleDraft,
    ArticleExtraction,
    Brief,
    Event,
    OfficialReaction,
    Span,
    Stance,
    StrikeReport,
)
from llmsum.pipeline import extract
from llmsum.reconcile import reconcile

__all__ = [
    "Article",
    "ArticleDraft",
    "ArticleExtraction",
    "Articles",
    "Brief",
    "ConfigError",
    "Event",
    "LlmsumError",
    "LoadError",
    "LocalModelError",
    "OfficialReaction",
    "Span",
    "Stance",
    "StrikeReport",
    "extract",
    "load_articles",
    "reconcile",
]
__version__ = "0.1.0"
