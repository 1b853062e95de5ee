"""StreamField blocks of articles, guides and events. Rendered by templates in
knowledge/templates/knowledge/blocks/; each keeps markup small for slow phones."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("note", _("Note"))],
        default="tip", label=_("kind"),
    )
    text = blocks.RichTextBlock(features=["bold", "italic", "link"], label=_("text"))

    class Meta:
        icon = "help"
        label = _("Callout")
        template = "knowledge/blocks/callout.html"


class ChecklistBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, label=_("heading"))
    items = blocks.ListBlock(blocks.CharBlock(label=_("item")), label=_("items"))

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "knowledge/blocks/checklist.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("file"))
    label = blocks.CharBlock(required=False, label=_("link text"),
                             help_text=_("Defaults to the file's title."))

    class Meta:
        icon = "doc-full"
        label = _("Downloadable file")
        template = "knowledge/blocks/download.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"))
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"], required=False,
                                label=_("details"))
    image = ImageBlock(required=False, label=_("photo"))

    class Meta:
        icon = "list-ol"
        label = _("Step")


class StepsBlock(blocks.ListBlock):
    """A guide's numbered steps."""

    def __init__(self, **kwargs):
        super().__init__(StepBlock(), **kwargs)

    class Meta:
        icon = "list-ol"
        label = _("Steps")
        template = "knowledge/blocks/steps.html"


class ArticleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=TEXT_FEATURES, label=_("Text"))
    image = ImageBlock(label=_("Image"), template="knowledge/blocks/image.html")
    video = EmbedBlock(label=_("Video"), max_width=720, template="knowledge/blocks/video.html")
    steps = StepsBlock(label=_("Steps"))
    checklist = ChecklistBlock()
    download = DownloadBlock()
    callout = CalloutBlock()


class EventBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=TEXT_FEATURES, label=_("Text"))
    image = ImageBlock(label=_("Image"), template="knowledge/blocks/image.html")
    checklist = ChecklistBlock()
    download = DownloadBlock()
    callout = CalloutBlock()
