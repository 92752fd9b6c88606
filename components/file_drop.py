"""A drop zone for files: Quasar's uploader without its own byte counts.

Quasar's header says «0.0B / 0.00%» and its list keeps each sent file with a size of its own making («71.0B»),
which the page then lists again as a document («71 o»). Here the header says what to drop and the limit (sizes
written by the caller, `components.formatting.human_size`), a click anywhere on it opens the file picker, and
the list shows only the files on their way (with their progress) or refused (to dismiss): a file once sent is
the page's to show.
"""

import html

from nicegui import ui

HEADER = '''
<div class="q-uploader__header-content relative-position row items-center no-wrap q-gutter-x-sm cursor-pointer">
  <q-spinner v-if="props.isUploading" class="q-uploader__spinner" />
  <q-icon v-else name="upload_file" size="sm" />
  <div class="col column justify-center">
    <div class="q-uploader__title">{title}</div>
    <div class="q-uploader__subtitle">{hint}</div>
  </div>
  <q-uploader-add-trigger v-if="props.canAddFiles" />
</div>
'''
LIST = '''
<template v-for="file in props.files" :key="file.__key">
  <div v-if="file.__status !== 'uploaded'" class="q-uploader__file relative-position"
       :class="file.__status === 'failed' ? 'q-uploader__file--failed' : ''">
    <div class="q-uploader__file-header row items-center no-wrap">
      <q-icon v-if="file.__status === 'failed'" name="error_outline" color="negative" class="q-uploader__file-status" />
      <div class="q-uploader__file-header-content col">
        <div class="q-uploader__title">{{ file.name }}</div>
      </div>
      <q-circular-progress v-if="file.__status === 'uploading'" :value="file.__progress" :min="0" :max="1"
                           :indeterminate="file.__progress === 0" color="primary" />
      <q-btn v-else round dense flat icon="close" @click="props.removeFile(file)" />
    </div>
  </div>
</template>
'''


def file_drop(title: str, hint: str, **upload_options) -> ui.upload:
    """`ui.upload(**upload_options)` with that header and list; `title` and `hint` are plain text."""
    upload = ui.upload(**upload_options).props('flat bordered color=primary').classes('w-full crm-file-drop')
    upload.add_slot('header', HEADER.format(title=html.escape(title), hint=html.escape(hint)))
    upload.add_slot('list', LIST)
    return upload
