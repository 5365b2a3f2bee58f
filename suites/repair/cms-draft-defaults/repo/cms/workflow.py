"""Draft creation and publishing."""

from .models import Article, WorkflowError
from .tags import normalize_tag, slugify


def create_draft(title, author, tags=[], metadata={}, slug=None):
    """Create a draft article by ``author``.

    ``tags`` are normalised; ``metadata`` gets a ``created_by`` entry unless one is given.
    """
    for i, tag in enumerate(tags):
        tags[i] = normalize_tag(tag)
    metadata.setdefault("created_by", author)
    article = Article(title, author, tags=tags, metadata=metadata)
    article.slug = slug or slugify(title)
    return article


def publish(article, when):
    """Publish a draft at ``when`` (a datetime)."""
    if article.status != "draft":
        raise WorkflowError("only drafts can be published (status: %s)" % article.status)
    if not article.body.strip():
        raise WorkflowError("cannot publish an empty article")
    article.status = "published"
    article.published_at = when
    return article


def archive(article):
    if article.status != "published":
        raise WorkflowError("only published articles can be archived")
    article.status = "archived"
    return article
