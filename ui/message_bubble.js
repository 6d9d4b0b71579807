// One chat message as one server element: Quasar's bubble, the body inside it (Quasar draws each child of a
// chat message as a bubble of its own, so everything goes into one body), the message's text and, while a
// reply is being written, `Writing…` with its moving dots. The children of the element (the message's
// buttons, a feedback card, a translation, a streaming text) go into the body after the text. `name`,
// `stamp`, `sent`, `bg-color` and the element's id, classes and attributes fall through to q-chat-message.
// The text is HTML set through NiceGUI's `setHTML` (DOMPurify), as `ui.html(..., sanitize=True)` does.
// The dots animate only opacity and transform, which the compositor draws: Quasar's SVG spinner repainted
// the page on its main thread for the whole reply (half the browser's CPU).
export default {
  template: `
    <q-chat-message>
      <div :class="bodyClass">
        <div v-if="textHtml != null" ref="text" :class="textClass"></div>
        <slot></slot>
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
