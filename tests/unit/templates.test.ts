import { describe, expect, it } from 'bun:test'
import { maskAddress } from '../../src/features/delivery/model'
import { redact, smtpFailure } from '../../src/features/delivery/email'
import { DEFAULT_TEMPLATES } from '../../src/features/templates/defaults'
import {
  AVAILABLE_VARIABLES,
  REQUIRED_VARIABLES,
  TEMPLATE_SLUGS,
  canonicalLocale,
  escapeHtml,
  localeChain,
  missingVariables,
  render,
  unusedRequiredVariables,
  type EmailTemplate,
} from '../../src/features/templates/render'

const vars = {
  code: '123456',
  link: 'https://id.example/t/acme/v1/verify?token=abc&x=1',
  app_name: 'Acme',
  expires_in_minutes: 10,
  to: 'ada@example.com',
}

describe('render', () => {
  it('fills every known variable in subject, text and html', () => {
    const tpl: EmailTemplate = {
      channel: 'email',
      subject: '{{app_name}} for {{to}}',
      text: '{{code}} / {{link}} / {{expires_in_minutes}}',
      html: '<b>{{ code }}</b>',
    }
    expect(render(tpl, vars)).toEqual({
      channel: 'email',
      subject: 'Acme for ada@example.com',
      text: `123456 / ${vars.link} / 10`,
      html: '<b>123456</b>',
    })
  })

  it('leaves unknown names and missing values empty, without reaching the prototype', () => {
    const out = render(
      { channel: 'sms', text: '[{{nope}}][{{constructor}}][{{link}}][{{ code }}]' },
      { app_name: 'Acme', code: '42' },
    )
    expect(out.text).toBe('[][][][42]')
  })

  it('escapes values in html only', () => {
    const hostile = { ...vars, app_name: `<script>alert("x")</script> & 'co'` }
    const out = render(
      {
        channel: 'email',
        subject: '{{app_name}}',
        text: '{{app_name}}',
        html: '<p>{{app_name}}</p><a href="{{link}}">go</a>',
      },
      hostile,
    )
    expect(out.text).toBe(hostile.app_name)
    expect(out.subject).toBe(hostile.app_name)
    expect(out.html).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p><a href="https://id.example/t/acme/v1/verify?token=abc&amp;x=1">go</a>',
    )
    expect(render({ channel: 'sms', text: '{{app_name}}' }, hostile).text).toBe(hostile.app_name)
  })

  it('keeps the subject on one line so a variable cannot add headers', () => {
    const out = render(
      { channel: 'email', subject: 'Hi {{app_name}}', text: '', html: '' },
      { app_name: 'Acme\r\nBcc: evil@example.com' },
    )
    expect(out.subject).toBe('Hi Acme Bcc: evil@example.com')
  })

  it('does not re-expand placeholders that a value contains', () => {
    expect(render({ channel: 'sms', text: '{{app_name}} {{code}}' }, { app_name: '{{code}}', code: '9' }).text).toBe(
      '{{code}} 9',
    )
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
      verification_code: ['code'],
      magic_link: ['link'],
      password_reset: ['code'],
      invitation: ['link'],
    })
  })

  it('reports what a request lacks (absent, null or blank)', () => {
    expect(missingVariables('verification_code', { app_name: 'Acme' })).toEqual(['code'])
    expect(missingVariables('verification_code', { code: '  ' })).toEqual(['code'])
    expect(missingVariables('magic_link', { link: null })).toEqual(['link'])
    expect(missingVariables('invitation', { link: 'https://x.example' })).toEqual([])
  })

  it('reports a template that never mentions its required variable', () => {
    expect(
      unusedRequiredVariables('password_reset', { channel: 'sms', text: 'Reset your {{app_name}} password' }),
    ).toEqual(['code'])
    expect(unusedRequiredVariables('password_reset', { channel: 'sms', text: 'Code: {{ code }}' })).toEqual([])
  })
})

describe('default templates', () => {
  for (const slug of TEMPLATE_SLUGS) {
    it(`${slug}: every channel carries its required variable and renders no leftover placeholder`, () => {
      for (const channel of ['email', 'sms'] as const) {
        const template = DEFAULT_TEMPLATES[slug][channel]
        expect(unusedRequiredVariables(slug, template)).toEqual([])
        const out = render(template, vars)
        const parts = out.channel === 'email' ? [out.subject, out.text, out.html] : [out.text]
        for (const part of parts) expect(part ?? '').not.toContain('{{')
        expect(out.text).toContain(slug === 'magic_link' || slug === 'invitation' ? vars.link : vars.code)
      }
    })
  }

  it('mention only the variables their slug has', () => {
    for (const slug of TEMPLATE_SLUGS) {
      for (const channel of ['email', 'sms'] as const) {
        const t = DEFAULT_TEMPLATES[slug][channel]
        const sources = t.channel === 'email' ? [t.subject, t.text, t.html ?? ''] : [t.text]
        for (const [, name] of sources.join('').matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g))
          expect(AVAILABLE_VARIABLES[slug]).toContain(name as never)
      }
    }
  })

  it('reads as product copy', () => {
    expect(render(DEFAULT_TEMPLATES.verification_code.sms, vars).text).toBe(
      '123456 is your Acme verification code. It expires in 10 minutes. Do not share it.',
    )
  })
})

describe('render without html', () => {
  it('keeps html null: the email goes out as plain text', () => {
    expect(render({ channel: 'email', subject: 's', text: '{{code}}', html: null }, vars)).toEqual({
      channel: 'email',
      subject: 's',
      text: '123456',
      html: null,
    })
  })
})

describe('localeChain', () => {
  it('tries the locale, its language, then the any-locale template', () => {
    expect(localeChain('fr-ca')).toEqual(['fr-CA', 'fr', ''])
    expect(localeChain('de')).toEqual(['de', ''])
    expect(localeChain(null)).toEqual([''])
    expect(localeChain(undefined)).toEqual([''])
  })

  it('ignores a malformed locale instead of failing the message', () => {
    expect(localeChain('en-')).toEqual([''])
    expect(canonicalLocale('not a locale')).toBeNull()
    expect(canonicalLocale('PT-br')).toBe('pt-BR')
  })
})

describe('maskAddress', () => {
  it('keeps enough to recognise an address, not to harvest it', () => {
    expect(maskAddress('email', 'ada.lovelace@example.com')).toBe('a***@example.com')
    expect(maskAddress('email', 'nonsense')).toBe('***')
    expect(maskAddress('sms', '+15550100123')).toBe('+1********23')
    expect(maskAddress('sms', '12345')).toBe('***')
  })
})

describe('smtpFailure', () => {
  it('fails for good on 5xx replies and retries 4xx replies and connection errors', () => {
    expect(
      smtpFailure({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <ada@example.com>: no such user' }),
    ).toEqual({ ok: false, retryable: false, reason: 'smtp 550: 550 5.1.1 <[address]>: no such user' })
    expect(smtpFailure({ code: 'EENVELOPE', responseCode: 451, response: '451 try later' })).toMatchObject({
      retryable: true,
    })
    expect(
      smtpFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET' })),
    ).toMatchObject({ retryable: true, reason: 'smtp ESOCKET: connect ECONNREFUSED 127.0.0.1:1' })
    expect(smtpFailure({ code: 'EMESSAGE', message: 'bad message' })).toMatchObject({ retryable: false })
    expect(smtpFailure('weird')).toMatchObject({ retryable: true, reason: 'smtp ERROR: ' })
  })

  it('removes addresses and line breaks from the stored reason', () => {
    expect(redact('550 rejected: bob@x.example\r\nmore')).toBe('550 rejected: [address] more')
    expect(redact('x'.repeat(1000))).toHaveLength(300)
  })
})
