import type { EmailTemplate, SmsTemplate, TemplateSlug } from './render'

/**
 * The built-in English copy per slug and channel: what every tenant sends until it saves its
 * own template (PUT /v1/email-templates/{slug}) and again after a revert.
 */

/**
 * A minimal, email-client-safe layout: one column, inline styles, no external assets but the tenant's logo,
 * which delivery puts where the LOGO_MARKER is (or nothing, without one).
 */
export const LOGO_MARKER = '<!--tessera:logo-->'
const layout = (heading: string, body: string): string =>
  '<!doctype html>\n' +
  '<html><body style="margin:0;padding:24px;background:#f6f7f9;' +
  'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328">\n' +
  '<div style="max-width:480px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">\n' +
  `${LOGO_MARKER}\n` +
  `<h1 style="font-size:20px;margin:0 0 16px">${heading}</h1>\n` +
  `${body}\n` +
  '</div></body></html>'

const codeBlock = '<p style="font-size:28px;font-weight:700;letter-spacing:6px;margin:16px 0">{{code}}</p>'
const button = (label: string) =>
  '<p style="margin:24px 0"><a href="{{link}}" ' +
  'style="background:{{brand_color}};color:{{brand_text_color}};padding:12px 20px;border-radius:6px;' +
  'text-decoration:none">' +
  `${label}</a></p>`
const fallbackLink = '<p style="font-size:13px;color:#59636e">Or paste this link into your browser:<br>{{link}}</p>'
const footnote = (text: string) => `<p style="font-size:13px;color:#59636e">${text}</p>`

export const DEFAULT_TEMPLATES: Record<TemplateSlug, { email: EmailTemplate; sms: SmsTemplate }> = {
  verification_code: {
    email: {
      channel: 'email',
      subject: 'Your {{app_name}} verification code',
      text:
        '{{code}} is your {{app_name}} verification code. It expires in {{expires_in_minutes}} minutes.\n\n' +
        'If you did not request this code, you can ignore this email.',
      html: layout(
        'Your verification code',
        `<p>Enter this code to continue to {{app_name}}:</p>${codeBlock}` +
          '<p>It expires in {{expires_in_minutes}} minutes.</p>' +
          footnote('If you did not request this code, you can ignore this email.'),
      ),
    },
    sms: {
      channel: 'sms',
      text:
        '{{code}} is your {{app_name}} verification code. ' +
        'It expires in {{expires_in_minutes}} minutes. Do not share it.',
    },
  },
  magic_link: {
    email: {
      channel: 'email',
      subject: 'Confirm: {{action}}',
      text:
        'Someone asked to {{action}} from {{device}}. If that was you, open this link on that device and confirm. ' +
        'It works once and expires in {{expires_in_minutes}} minutes.\n\n{{link}}\n\n' +
        'If it was not you, ignore this email: nothing happens unless the link is opened and confirmed.',
      html: layout(
        'Confirm: {{action}}',
        `<p>Someone asked to {{action}} from {{device}}. If that was you, open this link ` +
          `on that device and confirm. It works once and expires in {{expires_in_minutes}} minutes.</p>` +
          `${button('Open the confirmation page')}${fallbackLink}` +
          footnote('If it was not you, ignore this email: nothing happens unless the link is opened and confirmed.'),
      ),
    },
    sms: {
      channel: 'sms',
      text:
        '{{app_name}}: someone asked to {{action}} from {{device}}. ' +
        'If that was you, confirm: {{link}} (expires in {{expires_in_minutes}} minutes)',
    },
  },
  password_reset: {
    email: {
      channel: 'email',
      subject: 'Reset your {{app_name}} password',
      text:
        '{{code}} is your code to reset your {{app_name}} password. It expires in {{expires_in_minutes}} minutes.\n\n' +
        'If you did not ask to reset your password, ignore this email; your password stays the same.',
      html: layout(
        'Reset your password',
        `<p>Enter this code to choose a new {{app_name}} password:</p>${codeBlock}` +
          `<p>It expires in {{expires_in_minutes}} minutes.</p>` +
          footnote('If you did not ask to reset your password, ignore this email; your password stays the same.'),
      ),
    },
    sms: {
      channel: 'sms',
      text:
        '{{code}} is your {{app_name}} password reset code. ' +
        'It expires in {{expires_in_minutes}} minutes. Do not share it.',
    },
  },
  invitation: {
    email: {
      channel: 'email',
      subject: 'You have been invited to {{organization_name}} on {{app_name}}',
      text:
        'You have been invited to join {{organization_name}} on {{app_name}}. ' +
        'Accept the invitation with this link within {{expires_in_minutes}} minutes:\n\n' +
        '{{link}}\n\nIf you were not expecting this invitation, you can ignore this email.',
      html: layout(
        'Join {{organization_name}}',
        '<p>You have been invited to join {{organization_name}} on {{app_name}}. ' +
          'The invitation expires in {{expires_in_minutes}} minutes.</p>' +
          `${button('Accept invitation')}${fallbackLink}` +
          footnote('If you were not expecting this invitation, you can ignore this email.'),
      ),
    },
    sms: {
      channel: 'sms',
      text:
        'You have been invited to {{organization_name}} on {{app_name}}. ' +
        'Accept within {{expires_in_minutes}} minutes: {{link}}',
    },
  },
}
