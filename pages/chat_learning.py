"""The learning parts of the chat page's conversation, in one object the log and the replies call.

Feedback cards under the learner's lines, `Translate` and word look-ups on the AI's replies. The
chat page creates one `ChatLearning` and hands it to the log through `ReplyActions.learning`.
"""

from collections.abc import Callable

from nicegui import ui
from nicegui.slot import Slot

from pages.chat_feedback import FeedbackCards
from pages.chat_translate import TranslateAction
from pages.chat_words import WordPopup
from services.accounts import UserInfo
from services.chat import MessageInfo
from services.rooms import RoomInfo
from ui.message_actions import MessageActions


class ChatLearning:
    """Hooks for the chat log: under a learner line, on a reply's body, beside a reply's actions."""

    def __init__(self, user: UserInfo, room: RoomInfo, play_source: Callable[[str], None]) -> None:
        self.feedback = FeedbackCards(user.id, room.feedback_mode, room.language, user.native_language)
        self.translate = TranslateAction(user.id)
        self.words = WordPopup(user.id, room.language, user.native_language, play_source)

    def under_line(self, message: MessageInfo) -> None:
        """Inside the learner's bubble: the feedback card of that line."""
        self.feedback.add(message)

    def attach_reply(self, message_id: int, bubble: ui.element) -> None:
        """Once per reply: clicking a word of it opens the word pop-up."""
        self.words.attach(message_id, bubble)

    def reply_tools(self, message: MessageInfo, under: Slot, buttons: MessageActions) -> None:
        """Each time a finished reply is drawn: `Translate` after its buttons, the translation `under` them."""
        self.translate.draw(message, under, buttons)
        self.words.reply_drawn(message.id, message.content)
