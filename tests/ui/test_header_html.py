"""The signed-in header's markup (ui/header_html.py) shows every text as the characters it is."""

from tests.helpers import ShownMarkup
from ui.header_html import account_html, brand_and_nav_html

MARKUP_TEXT = '<b onclick="x()">Tom & \'Jerry\'</b>'


def test_every_text_of_the_header_markup_is_escaped() -> None:
    """Link labels, the landmark's name, the model label, its tooltip and the user name are text, not tags."""
    shown = ShownMarkup()
    shown.feed(brand_and_nav_html([(MARKUP_TEXT, '/rooms')], MARKUP_TEXT))
    shown.feed(account_html(MARKUP_TEXT, MARKUP_TEXT, MARKUP_TEXT, 'end-edge'))
    shown.close()
    assert shown.links == {'SpeakRoom': '/rooms', MARKUP_TEXT: '/rooms'}
    assert shown.by_testid == {'model-label': MARKUP_TEXT, 'user-name': MARKUP_TEXT}
    assert shown.labels == [MARKUP_TEXT, MARKUP_TEXT]
    assert 'b' not in shown.tags


def test_no_model_label_leaves_out_the_model() -> None:
    """Without a model label only the account icon and the user's name are drawn."""
    shown = ShownMarkup()
    shown.feed(account_html('mina', None, 'The model answering in this app', 'end-edge'))
    shown.close()
    assert shown.texts == ['mina']
    assert shown.labels == []


def test_only_the_link_to_the_current_page_is_marked_current() -> None:
    """The link whose target is the page shown carries aria-current="page"; the brand and other links do not."""
    shown = ShownMarkup()
    shown.feed(brand_and_nav_html([('Rooms', '/rooms'), ('History', '/history')], 'Main', '/history'))
    shown.close()
    assert shown.current == ['History']
    unmarked = ShownMarkup()
    unmarked.feed(brand_and_nav_html([('Rooms', '/rooms')], 'Main', '/rooms/{room_id:int}'))
    unmarked.close()
    assert unmarked.current == []
