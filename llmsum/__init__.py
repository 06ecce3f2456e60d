"""llmsum: from a pile of news articles to one trustworthy, grounded, cross-source brief.

import llmsum
articles = llmsum.load_articles("seeds/")
extractions = llmsum.extract(articles)          # embedded model unless a server is configured
brief = llmsum.reconcile(extractions)
print(brief.to_markdown())
"""

from llmsum.load import Articles, LoadError, load_articles
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
    "Event",
    "LoadError",
    "OfficialReaction",
    "Span",
    "Stance",
    "StrikeReport",
    "extract",
    "load_articles",
    "reconcile",
]
__version__ = "0.1.0"
