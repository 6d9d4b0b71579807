"""The profile's `Linked logins` card and the re-authentication that account changes need."""

from datetime import datetime

from nicegui import ui

from i18n import _, format_date
from pages.session import page_session
from services import accounts, oauth, sessions
from services.accounts import UserInfo
from services.errors import ReauthenticationRequired, ServiceError
from ui.frame import section_heading
from ui.reauth import confirm_identity


class Reauthentication:
    """Recent proof of identity for this browser session: read it, or ask for it (password or provider)."""

    def __init__(self, user: UserInfo) -> None:
        self.user_id = user.id
        self.has_password = user.has_password

    @staticmethod
    def proved_at() -> datetime | None:
        return sessions.reauthenticated_at(page_session())

    def is_recent(self) -> bool:
        try:
            accounts.require_recent(self.proved_at())
        except ReauthenticationRequired:
            return False
        return True

    async def ask(self) -> bool:
        """The `Confirm it is you` dialog; True when the password was confirmed here."""
        links = await oauth.linked_logins(self.user_id)
        enabled = set(oauth.enabled_providers())
        providers = list(
            dict.fromkeys((link.provider, link.provider_name) for link in links if link.provider in enabled)
        )
        return await confirm_identity(self.has_password, providers, self._check_password)

    async def _check_password(self, password: str) -> str | None:
        try:
            await accounts.confirm_password(self.user_id, password, client_address=ui.context.client.ip or '')
        except ServiceError as refused:
            return str(refused)
        sessions.mark_reauthenticated(page_session())
        return None


class LinkedLoginsCard:
    """GitHub/Kakao logins linked to this account: `Unlink` each (refused when it is the only way in),
    `Link <Provider>` for configured providers not linked yet (a fresh round trip)."""

    def __init__(self, user_id: int, reauthentication: Reauthentication) -> None:
        self.user_id = user_id
        self.reauthentication = reauthentication

    async def build(self) -> None:
        with ui.card().classes('w-full gap-2'):
            section_heading(_('Linked logins'))
            await self.rows()

    @ui.refreshable_method
    async def rows(self) -> None:
        links = await oauth.linked_logins(self.user_id)
        if not links:
            ui.label(_('No linked logins yet.')).classes('text-grey-7 text-body2')
        for link in links:
            with (
                ui.row()
                .classes('w-full items-center justify-between no-wrap')
                .props(f'data-testid=link-{link.provider}')
            ):
                with ui.column().classes('gap-0'):
                    ui.label(f'{link.provider_name} · {link.login}').classes('text-body1')
                    ui.label(
                        _(
                            '{email} · last used {date}',
                            email=link.email or _('no verified email'),
                            date=format_date(link.last_login_at, 'medium'),
                        )
                    ).classes('text-caption text-grey-7')
                ui.button(_('Unlink'), on_click=lambda link_id=link.id: self.unlink(link_id)).props(
                    'flat no-caps color=negative'
                )
        linked = {link.provider for link in links}
        with ui.row().classes('gap-2'):
            for key in oauth.enabled_providers():
                if key not in linked:
                    ui.button(
                        _('Link {provider}', provider=oauth.PROVIDER_NAMES[key]),
                        on_click=lambda key=key: self.link(key),
                    ).props(f'outline no-caps data-testid=link-start-{key}')

    async def link(self, provider: str) -> None:
        if not self.reauthentication.is_recent() and not await self.reauthentication.ask():
            return
        ui.navigate.to(f'/auth/{provider}/link')

    async def unlink(self, link_id: int, asked: bool = False) -> None:
        try:
            await oauth.unlink(self.user_id, link_id, self.reauthentication.proved_at())
        except ReauthenticationRequired:
            if not asked and await self.reauthentication.ask():
                await self.unlink(link_id, asked=True)
            return
        except ServiceError as refused:
            ui.notify(str(refused), type='warning')
            return
        ui.notify(_('Login unlinked'))
        self.rows.refresh()
