import { describe, expect, it } from 'bun:test'
import {
  DEFAULT_TEMPLATES, REQUIRED_VARIABLES, TEMPLATE_SLUGS, escapeHtml, missingVariables, render, resolveTemplate,
  unusedRequiredVariables, type EmailTemplate,
} from '../../src/features/delivery/templates'

const vars = { code: '123456', link: 'https://id.example/t/acme/v1/verify?token=abc&x=1', app_name: 'Acme', expires_in_minutes: 10, to: 'ada@example.com' }

describe('render', () => {
  it('fills every known variable in subject, text and html', () => {
    const tpl: EmailTemplate = {
      channel: 'email', subject: '{{app_name}} for {{to}}', text: '{{code}} / {{link}} / {{expires_in_minutes}}', html: '<b>{{ code }}</b>',
    }
    expect(render(tpl, vars)).toEqual({
      channel: 'email', subject: 'Acme for ada@example.com', text: `123456 / ${vars.link} / 10`, html: '<b>123456</b>',
    })
  })

  it('leaves unknown names and missing values empty, without reaching the prototype', () => {
    const out = render({ channel: 'sms', text: '[{{nope}}][{{constructor}}][{{link}}][{{ code }}]' }, { app_name: 'Acme', code: '42' })
    expect(out.text).toBe('[][][][42]')
  })

  it('escapes values in html only', () => {
    const hostile = { ...vars, app_name: `<script>alert("x")</script> & 'co'` }
    const out = render({ channel: 'email', subject: '{{app_name}}', text: '{{app_name}}', html: '<p>{{app_name}}</p><a href="{{link}}">go</a>' }, hostile)
    expect(out.text).toBe(hostile.app_name)
    expect(out.subject).toBe(hostile.app_name)
    expect(out.html).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p><a href="https://id.example/t/acme/v1/verify?token=abc&amp;x=1">go</a>')
    expect(render({ channel: 'sms', text: '{{app_name}}' }, hostile).text).toBe(hostile.app_name)
  })

  it('keeps the subject on one line so a variable cannot add headers', () => {
    const out = render({ channel: 'email', subject: 'Hi {{app_name}}', text: '', html: '' }, { app_name: 'Acme\r\nBcc: evil@example.com' })
    expect(out.subject).toBe('Hi Acme Bcc: evil@example.com')
  })

  it('does not re-expand placeholders that a value contains', () => {
    expect(render({ channel: 'sms', text: '{{app_name}} {{code}}' }, { app_name: '{{code}}', code: '9' }).text).toBe('{{code}} 9')
  })
})

describe('escapeHtml', () => {
  it('escapes the five significant characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;')
  })
})

describe('REQUIRED_VARIABLES', () => {
  it('asks codes of code templates and links of link templates', () => {
    expect(REQUIRED_VARIABLES).toEqual({
      verification_code: ['code'], magic_link: ['link'], password_reset: ['code'], invitation: ['link'],
    })
  })

  it('reports what a request lacks (absent, null or blank)', () => {
    expect(missingVariables('verification_code', { app_name: 'Acme' })).toEqual(['code'])
    expect(missingVariables('verification_code', { code: '  ' })).toEqual(['code'])
    expect(missingVariables('magic_link', { link: null })).toEqual(['link'])
    expect(missingVariables('invitation', { link: 'https://x.example' })).toEqual([])
  })

  it('reports a template that never mentions its required variable', () => {
    expect(unusedRequiredVariables('password_reset', { channel: 'sms', text: 'Reset your {{app_name}} password' })).toEqual(['code'])
    expect(unusedRequiredVariables('password_reset', { channel: 'sms', text: 'Code: {{ code }}' })).toEqual([])
  })
})

describe('default templates', () => {
  for (const slug of TEMPLATE_SLUGS) {
    it(`${slug}: every channel carries its required variable and renders no leftover placeholder`, () => {
      for (const channel of ['email', 'sms'] as const) {
        const template = resolveTemplate(slug, channel, null)
        expect(template).toBe(DEFAULT_TEMPLATES[slug][channel])
        expect(unusedRequiredVariables(slug, template)).toEqual([])
        const out = render(template, vars)
        const parts = out.channel === 'email' ? [out.subject, out.text, out.html] : [out.text]
        for (const part of parts) expect(part).not.toContain('{{')
        expect(out.text).toContain(slug === 'magic_link' || slug === 'invitation' ? vars.link : vars.code)
      }
    })
  }

  it('falls back to the defaults for any locale', () => {
    expect(resolveTemplate('magic_link', 'email', 'fr-FR')).toBe(DEFAULT_TEMPLATES.magic_link.email)
  })

  it('reads as product copy', () => {
    expect(render(resolveTemplate('verification_code', 'sms', null), vars).text)
      .toBe('123456 is your Acme verification code. It expires in 10 minutes. Do not share it.')
  })
})
