// The buttons under one message (Play reply, Copy text, Regenerate, Delete, Translate, My recording, Show
// text) and its `Stopped` note, drawn in the browser from one list: one server element per message instead
// of one per button. A fragment (no wrapper): the buttons are children of the bubble's body, as the
// stylesheet's `.user-body` and `.reply-inline` grids expect. Every text is bound as text, never as HTML.
// A press emits `action` with the action's name; the server calls that action's callback. (`loading` is
// left out unless set: QBtn draws an empty placeholder for an explicit `false`.)
const LOOKS = {
  // The small grey icon buttons; their tooltips are the stylesheet's (`.css-tip`, from the aria-label).
  small: { flat: true, round: true, dense: true, size: "sm", color: "grey-7", class: "message-action css-tip" },
  play: { flat: true, round: true, dense: true, color: "primary", class: "css-tip" },
  text: { flat: true, dense: true, noCaps: true, color: "primary" },
  "small-text": { flat: true, dense: true, noCaps: true, size: "sm", color: "primary" },
};

export default {
  template: `
    <template v-for="action in actions" :key="action.name">
      <div v-if="action.look === 'caption'" class="text-caption text-grey-7 reply-status">{{ action.text }}</div>
      <q-btn
        v-else
        v-bind="looks[action.look]"
        :icon="action.icon"
        :label="action.text"
        :loading="action.loading ? true : undefined"
        :aria-label="action.label"
        :data-testid="action.testid"
        :aria-expanded="action.expanded"
        @click="$emit('action', action.name)"
      />
    </template>
  `,
  inheritAttrs: false,
  props: {
    actions: Array,
  },
  emits: ["action"],
  computed: {
    looks() {
      return LOOKS;
    },
  },
};
