"""/admin: accounts with today's usage; grant replies, set a daily limit, disable or enable (admins only)."""

from collections.abc import Awaitable, Callable

from fastapi import HTTPException
from fastapi.responses import RedirectResponse
from nicegui import ui

from i18n import _, ngettext
from pages.admin_helpers import HelperTiersCard
from pages.session import current_user, to_login, user_frame
from services import admin
from services.admin import GRANT_MAX, LIMIT_MAX, AccountRow
from services.errors import NotAnAdmin, ServiceError
from services.settings import get_settings
from ui.dialogs import ask_number, confirm
from ui.frame import page_heading
from ui.time import relative_time

PAGE_SIZE = 25


@ui.page('/admin')
async def admin_page() -> RedirectResponse | None:
    """Everyone's accounts, searchable and paged, each with its actions. Anyone else gets a 404."""
    user = await current_user()
    if user is None:
        return to_login('/admin')
    try:
        first_page = await admin.list_accounts(user.id, limit=PAGE_SIZE)
    except NotAnAdmin:
        raise HTTPException(status_code=404, detail='Not Found') from None
    state: dict = {'search': '', 'offset': 0, 'page': first_page}

    async def load(offset: int | None = None, **changes: str) -> None:
        """Fetch a page for the current search; of overlapping loads (fast typing) only the latest shows."""
        state.update(changes)
        state['offset'] = 0 if offset is None else max(0, offset)
        state['loads'] = this_load = state.get('loads', 0) + 1
        try:
            page = await admin.list_accounts(user.id, state['search'], state['offset'], PAGE_SIZE)
        except NotAnAdmin:  # no longer an admin (another admin removed the right, account disabled)
            ui.navigate.to('/rooms')
            return
        if this_load == state['loads']:
            state['page'] = page
            accounts_view.refresh()

    async def act(
        action: Callable[[], Awaitable[AccountRow]], done: Callable[[AccountRow], str]
    ) -> str | None:
        """Run an admin action; None when it worked (the list is redrawn), else the readable problem."""
        try:
            row = await action()
        except ServiceError as refused:  # InvalidInput, UserNotFound (deleted meanwhile), NotAnAdmin
            return str(refused)
        ui.notify(done(row), type='positive')
        await load(state['offset'])
        return None

    async def grant(row: AccountRow) -> None:
        async def submit(count: int | None) -> str | None:
            return await act(
                lambda: admin.grant_extra(user.id, row.id, count or 0),
                lambda done: _('Granted {count} to {name}', count=count, name=done.username),
            )

        await ask_number(
            _('Extra replies for {name}', name=row.username),
            _('For today only; they come on top of the daily limit.'),
            _('Extra replies today'),
            5,
            (1, GRANT_MAX),
            _('Grant'),
            submit,
        )

    async def set_limit(row: AccountRow) -> None:
        async def submit(daily_limit: int | None) -> str | None:
            return await act(
                lambda: admin.set_daily_limit(user.id, row.id, daily_limit),
                lambda done: _('Daily limit of {name} saved', name=done.username),
            )

        default = get_settings().daily_quota
        await ask_number(
            _('Daily limit for {name}', name=row.username),
            _('Replies per day. Empty means the default ({default}).', default=default),
            _('Daily limit'),
            row.custom_limit,
            (0, LIMIT_MAX),
            _('Save'),
            submit,
            placeholder=str(default),
        )

    async def toggle_active(row: AccountRow) -> None:
        if row.is_active and not await confirm(
            _('Disable {name}?', name=row.username),
            _(
                'They are logged out at once, cannot log in, and their API tokens stop working. '
                'You can enable the account again later.'
            ),
            action=_('Disable'),
        ):
            return

        def done(changed: AccountRow) -> str:
            if changed.is_active:
                return _('Enabled {name}', name=changed.username)
            return _('Disabled {name}', name=changed.username)

        if message := await act(lambda: admin.set_active(user.id, row.id, not row.is_active), done):
            ui.notify(message, type='negative')

    async def toggle_admin(row: AccountRow) -> None:
        if row.is_admin:
            question, explanation, action = (
                _('Remove the admin right of {name}?', name=row.username),
                _('They keep their account but lose the admin page and unlimited replies.'),
                _('Remove admin'),
            )
        else:
            question, explanation, action = (
                _('Make {name} an admin?', name=row.username),
                _('They get this page: every account, grants, limits, disabling, and other admins.'),
                _('Make admin'),
            )
        if not await confirm(question, explanation, action=action):
            return

        def done(changed: AccountRow) -> str:
            if changed.is_admin:
                return _('{name} is now an admin', name=changed.username)
            return _('{name} is no longer an admin', name=changed.username)

        if message := await act(lambda: admin.set_admin(user.id, row.id, not row.is_admin), done):
            ui.notify(message, type='negative')

    @ui.refreshable
    def accounts_view() -> None:
        page = state['page']
        if not page.rows:
            ui.label(_('No accounts match.') if state['search'] else _('No accounts yet.')).classes(
                'text-grey-7 py-4'
            )
        for row in page.rows:
            own = row.id == user.id  # no Disable or Remove admin for oneself
            account_card(
                row, grant, set_limit, None if own else toggle_active, on_admin=None if own else toggle_admin
            )
        first, last = state['offset'] + 1, state['offset'] + len(page.rows)
        with ui.row().classes('w-full items-center justify-between'):
            ui.label(
                _('{first}–{last} of {total}', first=first, last=last, total=page.total) if page.rows else ''
            ).classes('text-caption text-grey-7')
            with ui.row().classes('gap-1'):
                ui.button(_('Previous'), on_click=lambda: load(state['offset'] - PAGE_SIZE)).props(
                    'flat no-caps'
                ).set_enabled(state['offset'] > 0)
                ui.button(_('Next'), on_click=lambda: load(state['offset'] + PAGE_SIZE)).props(
                    'flat no-caps'
                ).set_enabled(last < page.total)

    with user_frame(user, _('Admin')):
        page_heading(_('Accounts'))
        ui.input(_('Search users'), on_change=lambda event: load(search=event.value or '')).props(
            'outlined dense clearable debounce=300 maxlength=100 data-testid=user-search'
        ).classes('w-full')
        with ui.column().classes('w-full gap-2'):
            accounts_view()
        await HelperTiersCard(user.id).load()
    return None


def account_card(
    row: AccountRow,
    on_grant: Callable[[AccountRow], Awaitable[None]],
    on_limit: Callable[[AccountRow], Awaitable[None]],
    on_toggle: Callable[[AccountRow], Awaitable[None]] | None,
    on_admin: Callable[[AccountRow], Awaitable[None]] | None = None,
) -> None:
    """One account: who, its state, today's usage and totals, and its actions (no `Disable` for
    the admin's own account: locking oneself out is refused anyway)."""
    with (
        ui.card()
        .classes('w-full gap-1 account-card')
        .props(f'flat bordered data-testid=account-{row.username}')
    ):
        with ui.row().classes('w-full items-center gap-2'):
            ui.label(row.username).classes('text-subtitle1 text-weight-medium')
            if row.nickname:
                ui.label(f'({row.nickname})').classes('text-grey-7')
            ui.badge(_('Active') if row.is_active else _('Disabled')).props(
                f'outline color={"positive" if row.is_active else "negative"}'
            )
            if row.is_admin:
                ui.badge(_('Admin')).props('outline color=primary')
            ui.space()
            ui.label(row.email).classes('text-caption text-grey-7 ellipsis')
        ui.label(usage_text(row)).classes('text-body2').props(f'data-testid=usage-{row.username}')
        ui.label(' · '.join(account_facts(row))).classes('text-caption text-grey-8')
        with ui.row().classes('w-full justify-end gap-1'):
            ui.button(_('Grant replies'), icon='add_circle_outline', on_click=lambda: on_grant(row)).props(
                'flat dense no-caps'
            ).mark(f'grant-{row.username}')
            ui.button(_('Set limit'), icon='tune', on_click=lambda: on_limit(row)).props(
                'flat dense no-caps'
            ).mark(f'limit-{row.username}')
            if on_toggle is not None:
                ui.button(
                    _('Disable') if row.is_active else _('Enable'),
                    icon='block' if row.is_active else 'check_circle',
                    on_click=lambda: on_toggle(row),
                ).props(f'flat dense no-caps color={"negative" if row.is_active else "positive"}').mark(
                    f'toggle-{row.username}'
                )
            if on_admin is not None:
                ui.button(
                    _('Remove admin') if row.is_admin else _('Make admin'),
                    icon='remove_moderator' if row.is_admin else 'add_moderator',
                    on_click=lambda: on_admin(row),
                ).props('flat dense no-caps').mark(f'admin-{row.username}')


def usage_text(row: AccountRow) -> str:
    """'2 of 5 replies used today', with the extra replies granted for today, or 'Unlimited (admin)'."""
    if row.is_admin:
        return _('Unlimited (admin)')
    total = row.daily_limit + row.bonus_today
    if row.bonus_today:
        return _(
            '{used} of {total} replies used today (incl. {extra} extra)',
            used=row.used_today,
            total=total,
            extra=row.bonus_today,
        )
    return _('{used} of {total} replies used today', used=row.used_today, total=total)


def account_facts(row: AccountRow) -> list[str]:
    """The card's small print: the limit, the totals and the latest activity."""
    if row.custom_limit is None:
        limit = _('limit {limit}/day (default)', limit=row.daily_limit)
    else:
        limit = _('limit {limit}/day', limit=row.daily_limit)
    replies = ngettext('{count} reply in all', '{count} replies in all', row.replies_total)
    rooms = ngettext('{count} room', '{count} rooms', row.room_count)
    if row.last_active_at is None:
        active = _('never active')
    else:
        active = _('active {when}', when=relative_time(row.last_active_at))
    return [limit, replies, rooms, active]
