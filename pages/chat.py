"""/rooms/{id}: the conversation — history, streaming replies, Stop, Retry, the daily allowance."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

from fastapi import HTTPException
from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _, format_datetime, format_time, ngettext
from pages.chat_header import ChatHeader
from pages.chat_hints import HintPanel
from pages.chat_learning import ChatLearning
from pages.chat_log import ChatLog
from pages.chat_missions import MissionsPanel
from pages.chat_pager import ChatPager
from pages.chat_reply import ReplyActions
from pages.chat_status import ChatStatus
from pages.chat_voice import VoiceInput
from pages.session import current_user, log_out, to_login, user_frame
from services import chat, chat_edits, chat_window, quota, rooms, tts
from services.chat import MESSAGE_MAX_LENGTH, MessageInfo
from services.errors import (
    AccountDisabled,
    InvalidInput,
    MessageNotFound,
    NothingToRegenerate,
    NothingToRetry,
    QuotaExceeded,
    RoomNotFound,
    ServiceError,
)
from services.language_names import language_name
from services.quota import QuotaStatus
from services.scenarios import kind_of
from ui.chat import keep_at_bottom
from ui.dialogs import confirm
from ui.message_actions import MessageActions
from ui.pacing import RedrawPacer

MESSAGE_BOX = 'textarea[data-testid=message-input]'  # where focus goes when no message is left


@ui.page('/rooms/{room_id:int}')
async def chat_page(room_id: int, message: int | None = None) -> RedirectResponse | None:
    """Talk with the AI partner of one room (`?message=<id>` opens it at that message)."""
    user = await current_user()
    if user is None:
        return to_login(f'/rooms/{room_id}' + (f'?message={message}' if message else ''))
    try:
        room = await rooms.get_room(user.id, room_id)
        window = await chat_window.opening(user.id, room_id, message)
    except RoomNotFound:
        raise HTTPException(status_code=404, detail=_('Room not found')) from None
    allowance = await quota.status(user.id)
    zone = allowance.resets_at.tzinfo
    is_recipe = kind_of(room.scenario) == 'recipe'
    state: dict = {'busy': False, 'reply_id': None, 'recording_id': None}

    def stamp(moment: datetime) -> str:
        local = moment.astimezone(zone)
        return (
            format_time(local)
            if local.date() == datetime.now(zone).date()
            else format_datetime(local, 'short')
        )

    def add_message(message: MessageInfo, new: bool = False) -> None:
        # Listening mode hides new replies until revealed.
        log.add(message, hide_text=new and message.role == 'assistant' and listening.value)

    async def play(message_id: int, buttons: MessageActions) -> None:
        """Make or fetch the reply's audio (its Play button spins meanwhile), then play it in the page's player."""
        try:
            with buttons.loading('play'):
                speech = await tts.message_audio(user.id, message_id, slow.value)
        except (tts.TTSUnavailable, MessageNotFound) as problem:
            ui.notify(str(problem), type='warning')
            return
        play_source(f'/audio/messages/{message_id}?slow={str(slow.value).lower()}&v={speech.cache_key[:12]}')

    async def use_transcript(recording_id: int, text: str) -> None:
        """The spoken answer lands in the input to check (or is sent at once with `Send after speaking`)."""
        message_input.value = f'{message_input.value or ""} {text}'.strip()
        state['recording_id'] = recording_id
        show_alert(None)
        if send_after_speaking.value:
            await send()

    async def remember_listening() -> None:
        await rooms.set_listening(user.id, room.id, listening_mode=listening.value, slow_speech=slow.value)

    def show_quota(current: QuotaStatus) -> None:
        status.show_quota(current)
        send_button.set_enabled(not current.exhausted and not state['busy'])

    def play_source(source: str) -> None:
        status.play(source)

    def show_alert(message: str | None) -> None:
        status.show_alert(message)

    def set_busy(busy: bool, reply_id: int | None = None) -> None:
        state['busy'], state['reply_id'] = busy, reply_id
        stop_button.set_visibility(busy)
        send_button.set_visibility(not busy)

    async def send() -> None:
        if state['busy']:
            return
        show_alert(None)
        if not pager.at_latest:  # opened at a search hit: the new message goes after the latest ones
            await pager.jump_to_latest()
        try:
            turn = await chat.send_message(user.id, room.id, message_input.value or '', state['recording_id'])
        except QuotaExceeded as refused:
            show_alert(limit_reached(refused))
            show_quota(await quota.status(user.id))
            return
        except AccountDisabled:
            log_out()
            return
        except (InvalidInput, RoomNotFound) as refused:
            show_alert(str(refused))
            return
        if turn is None:  # blank message: nothing to do
            message_input.value = ''
            return
        # The reply's task sends its request first: the bubbles are drawn while the model thinks.
        await asyncio.sleep(0)
        message_input.value = ''
        state['recording_id'] = None
        assert turn.user_message is not None
        add_message(turn.user_message)
        missions.watch(turn.user_message.id)
        add_message(turn.reply, new=True)
        show_quota(turn.quota)
        await follow(turn.reply.id)

    async def retry(reply_id: int) -> None:
        await write_again(reply_id, chat.retry_reply)

    async def regenerate(reply_id: int) -> None:
        await write_again(reply_id, chat.regenerate_reply)

    async def write_again(reply_id: int, service: Callable[[int, int], Awaitable[chat.Turn]]) -> None:
        """Retry (a failed reply) or Regenerate (the latest one): the same bubble is written anew."""
        if state['busy']:
            return
        show_alert(None)
        try:
            turn = await service(user.id, reply_id)
        except QuotaExceeded as refused:
            show_alert(limit_reached(refused))
            return
        except AccountDisabled:
            log_out()
            return
        except (NothingToRetry, NothingToRegenerate, ServiceError) as refused:
            show_alert(str(refused))
            return
        if (view := log.view(reply_id)) is not None:
            view.hide_text = listening.value
            view.show(turn.reply)
            log.focus_message(reply_id)  # its Regenerate or Retry button, which had the focus, is gone
        show_quota(turn.quota)
        await follow(reply_id)

    async def delete_exchange(message_id: int) -> None:
        """Delete a message and its reply, after a confirmation (a reply being written is stopped)."""
        confirmed = await confirm(
            _('Delete this exchange?'),
            _('Your message and the reply to it are deleted. Replies already used stay counted today.'),
            _('Delete'),
        )
        if not confirmed:
            return
        try:
            deleted = await chat_edits.delete_exchange(user.id, message_id)
        except MessageNotFound:
            deleted = (message_id,)  # already gone (another tab): drop it here too
        log.focus_after_removal(deleted, MESSAGE_BOX)
        log.remove(deleted)

    async def clear_history() -> None:
        confirmed = await confirm(
            _('Clear the conversation?'),
            _(
                'All messages of "{title}" are deleted; the room and its set-up stay. This cannot be undone.',
                title=room.title,
            ),
            _('Delete'),
        )
        if not confirmed:
            return
        try:
            count = await chat_edits.clear_history(user.id, room.id)
        except RoomNotFound:
            ui.navigate.to('/rooms')
            return
        await pager.clear()
        ui.notify(ngettext('Deleted {count} message', 'Deleted {count} messages', count))

    async def follow(reply_id: int) -> None:
        set_busy(True, reply_id)  # the quota shown is the one the Send or Retry answered with: a read
        final = None  # here would put a pool checkout between the click and the first token
        pacer = RedrawPacer()  # each redraw is a message and a frame: at most every 80 ms, less when busy
        try:
            # The first piece is drawn the moment it comes, later ones coalesce; the final state is drawn at
            # once: the controls it shows (Regenerate) must work at once, not after a busy pause.
            async for snapshot in chat.follow(user.id, reply_id, pause=pacer.settle):
                if (view := log.view(reply_id)) is None:
                    break  # deleted while it was being written
                view.show(snapshot)
                final = snapshot
        finally:
            set_busy(False)
            if final is None or final.status != 'complete':  # a failed or stopped one may give its unit back
                show_quota(await quota.status(user.id))
        view = log.view(reply_id)
        if final is not None and final.status == 'complete' and not listening.value:
            log.announce(_('Your partner replied. The reply is the last message of the conversation.'))
        if final is not None and final.status == 'complete' and listening.value and view and view.buttons:
            await play(reply_id, view.buttons)  # listening mode: the reply speaks by itself

    async def stop() -> None:
        if state['reply_id'] is not None:
            await chat.stop_reply(user.id, state['reply_id'])

    with user_frame(user, room.title):
        header = ChatHeader(user.id, room, clear_history, remember_listening)
        listening, slow, send_after_speaking = header.listening, header.slow, header.send_after_speaking
        missions = await MissionsPanel.create(user.id, room.id)
        log = ChatLog(
            _(
                'Say hello to start the conversation. Your partner stays in role and answers in '
                '{language} at level {level}.',
                language=language_name(room.language),
                level=room.level,
            ),
            stamp,
            is_recipe,
            ReplyActions(retry, regenerate, delete_exchange, play, ChatLearning(user, room, play_source)),
            play_source,
            room.language,
        )
        keep_at_bottom(log.column)
        pager = ChatPager(user.id, room.id, log)
        await pager.show(window)

    with (
        ui.footer().classes('bg-white text-dark chat-footer'),
        ui.column().classes('w-full max-w-4xl mx-auto gap-1'),
    ):
        status = ChatStatus()
        hint_panel = HintPanel(user.id, room.id, room.language, user.native_language)
        with ui.row().classes('w-full items-end gap-2 no-wrap'):
            VoiceInput(room.id, use_transcript, show_alert)
            message_input = (
                ui.textarea(
                    _('Message'), placeholder=_('Type your reply… (Enter sends, Shift+Enter new line)')
                )
                .props(f'outlined autogrow dense maxlength={MESSAGE_MAX_LENGTH} data-testid=message-input')
                .classes('flex-grow')
            )
            # Enter sends, Shift+Enter breaks the line, and Enter that confirms Korean or Japanese
            # IME composition is left alone.
            message_input.on(
                'keydown',
                send,
                js_handler='(e) => { if (e.key === "Enter" && !e.shiftKey && !e.isComposing) '
                '{ e.preventDefault(); emit(); } }',
            )
            hint_panel.button(message_input)
            send_button = ui.button(_('Send'), icon='send', on_click=send).props('unelevated no-caps')
            stop_button = ui.button(_('Stop'), icon='stop', on_click=stop).props(
                'outline no-caps color=negative'
            )
            send_button.classes('footer-action')
            stop_button.classes('footer-action')
            stop_button.set_visibility(False)
    show_quota(allowance)
    latest = window.messages[-1] if window.messages and not window.more_later else None
    if latest is not None and latest.role == 'assistant' and latest.status == 'pending':
        ui.timer(0.1, lambda: follow(latest.id), once=True)  # reopened while a reply is being written
    if message is None or not log.scroll_to(message):
        log.scroll_to_bottom()
    return None


def limit_reached(refused: QuotaExceeded) -> str:
    """The alert when the day's replies are used up, with the time more come (QUOTA_TIMEZONE)."""
    return _(
        'Daily limit reached. More replies at {time} ({zone}).',
        time=format_time(refused.resets_at),
        zone=refused.resets_at.tzname(),
    )
