"""The admin page's `Learning helpers` card: the structured-output rung each helper uses with this model."""

from nicegui import ui

from i18n import _, ngettext
from services import helper_tiers
from ui.frame import section_heading


class HelperTiersCard:
    """Each helper with its rung (A–D) on the configured model, and `Try all from the start again`."""

    def __init__(self, admin_id: int) -> None:
        self.admin_id = admin_id
        with ui.card().classes('w-full gap-2').props('data-testid=helper-tiers'):
            section_heading(_('Learning helpers'))
            self.body = ui.column().classes('w-full gap-1')
            ui.button(_('Try all from the start again'), on_click=self.reset).props('flat no-caps')

    async def load(self) -> None:
        model, tiers = await helper_tiers.helper_tiers(self.admin_id)
        self.body.clear()
        with self.body:
            ui.label(_('Model: {model}', model=model)).classes('text-body2 text-grey-8')
            for tier in tiers:
                with ui.row().classes('items-center gap-2 no-wrap').props(f'data-testid=tier-{tier.task}'):
                    ui.label(tier.feature).classes('text-body1 min-w-[9rem]')
                    ui.badge(tier.rung).props('outline color=primary')
                    ui.label(tier.meaning).classes('text-body2 text-grey-8')

    async def reset(self) -> None:
        forgotten = await helper_tiers.reset_helper_tiers(self.admin_id)
        ui.notify(
            ngettext('Forgot {count} remembered choice', 'Forgot {count} remembered choices', forgotten)
        )
        await self.load()
