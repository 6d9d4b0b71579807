// One chat message as one server element: Quasar's bubble, the body inside it (Quasar draws each child of a
// chat message as a bubble of its own, so everything goes into one body), and in the body, in this order:
// the message's text, the element's default-slot children (a streaming text, a recipe, an error note), the
// message's buttons and `Stopped` note, its `after` slot (a feedback card, a translation) and, while a reply
// is being written, `Writing…` with its moving dots. `name`, `stamp`, `sent`, `bg-color` and the element's
// id, classes and attributes fall through to q-chat-message.
//
// The text is HTML set through NiceGUI's `setHTML` (DOMPurify), as `ui.html(..., sanitize=True)` does.
// The buttons are drawn from one list (one server element per message instead of one per button), as direct
// children of the body, as the stylesheet's `.user-body` and `.reply-inline` grids expect; every text is
// bound as text, never as HTML. A press emits `action` with the action's name; the server calls that action's
// callback. (`loading` is left out unless set: QBtn draws an empty placeholder for an explicit `false`.)
// The dots animate only opacity and transform, which the compositor draws: Quasar's SVG spinner repainted
// the page on its main thread for the whole reply (half the browser's CPU).
const LOOKS = {
  // The small grey icon buttons; their tooltips are the stylesheet's (`.css-tip`, from the aria-label).
  small: { flat: true, round: true, dense: true, size: "sm", color: "grey-7", class: "message-action css-tip" },
  play: { flat: true, round: true, dense: true, color: "primary", class: "css-tip" },
  text: { flat: true, dense: true, noCaps: true, color: "primary" },
  "small-text": { flat: true, dense: true, noCaps: true, size: "sm", color: "primary" },
};

export default {
  template: `
    <q-chat-message>
      <div :class="bodyClass">
        <div v-if="textHtml != null" ref="text" :class="textClass"></div>
        <slot></slot>
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
        <slot name="after"></slot>
        <div v-if="writing" class="row items-center gap-2 text-grey-7">
          <span class="typing-dots" aria-hidden="true"><span></span><span></span><span></span></span>
          <span class="text-caption">{{ writing }}</span>
        </div>
      </div>
    </q-chat-message>
  `,
  props: {
    textHtml: String,
    textClass: String,
    bodyClass: String,
    writing: String,
    actions: Array,
  },
  emits: ["action"],
  computed: {
    looks() {
      return LOOKS;
    },
  },
  mounted() {
    this.draw();
  },
  updated() {
    this.draw();
  },
  methods: {
    draw() {
      const text = this.$refs.text;
      if (!text || text.drawnHTML === this.textHtml) return; // unchanged: keep the text's DOM (and a selection in it)
      text.setHTML(this.textHtml);
      text.drawnHTML = this.textHtml;
    },
  },
};
