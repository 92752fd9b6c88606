// A list of links drawn in the browser from JSON (search results, a dashboard's lists): one element on the
// server instead of a handful per row. Rows are plain anchors, so the shell's router opens them in-app.
export default {
  template: `
    <div class="column no-wrap" role="list">
      <template v-for="(item, index) in items" :key="item.key">
        <hr v-if="separators && index" class="q-separator q-separator--horizontal" aria-orientation="horizontal" />
        <div class="row items-center no-wrap" role="listitem">
          <a :href="item.href" :data-item="item.key"
             class="crm-link-row row items-center no-wrap no-underline text-inherit" :class="dense ? 'crm-link-row--dense' : ''"
             style="flex: 1 1 0">
            <span v-if="item.lead" class="text-primary text-caption shrink-0" style="font-family: monospace">{{ item.lead }}</span>
            <i v-if="item.icon" class="q-icon notranslate material-icons text-primary shrink-0" aria-hidden="true"
               :style="{fontSize: dense ? '1.25rem' : '1.5rem'}">{{ item.icon }}</i>
            <div class="column no-wrap crm-link-row__text">
              <div class="ellipsis text-slate-800" :class="dense ? '' : 'text-weight-medium'">{{ item.title }}</div>
              <div v-if="item.subtitle" class="ellipsis text-caption crm-muted">{{ item.subtitle }}</div>
            </div>
            <span v-if="item.aside" class="text-caption crm-muted shrink-0">{{ item.aside }}</span>
            <span v-if="item.badge" :class="item.links && item.links.length ? 'gt-xs' : ''" class="q-badge flex inline items-center no-wrap q-badge--single-line q-badge--rounded q-badge--outline text-grey-7 shrink-0">{{ item.badge }}</span>
          </a>
          <a v-for="link in item.links || []" :key="link.href" :href="link.href" :title="link.label"
             :aria-label="link.label" :target="link.external ? '_blank' : null"
             :rel="link.external ? 'noopener noreferrer' : null" class="crm-link-action">
            <i class="q-icon notranslate material-icons" aria-hidden="true">{{ link.icon }}</i>
          </a>
        </div>
      </template>
    </div>`,
  props: {
    items: Array,
    separators: Boolean,
    dense: Boolean,
  },
};
