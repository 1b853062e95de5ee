from knowledge.models.community import (
    ForumCategory,
    HelpfulMark,
    MentoringOffer,
    MentoringRequest,
    Post,
    PostReport,
    Rsvp,
    Thread,
)
from knowledge.models.pages import (
    ArticlePage,
    ArticleTag,
    EventIndexPage,
    EventPage,
    KnowledgeIndexPage,
    Topic,
)

__all__ = [
    "ArticlePage", "ArticleTag", "EventIndexPage", "EventPage", "ForumCategory", "HelpfulMark",
    "KnowledgeIndexPage", "MentoringOffer", "MentoringRequest", "Post", "PostReport", "Rsvp",
    "Thread", "Topic",
]
