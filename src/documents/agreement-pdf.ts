// The agreement printed as a PDF (rules.md §2: "can be printed as a PDF"): the exact text the depositor
// saw, word for word, with the electronic-signature record and the SHA-256 that binds the two.
import { renderPdf } from './pdf.ts';

export const AGREEMENT_TITLE_ZH = '灵活就业人员住房公积金缴存使用协议';
export const AGREEMENT_TITLE_EN = 'Housing Provident Fund Agreement for Flexible-Employment Workers';

/** The agreement as getAgreement returns it (bank card already masked). */
export interface AgreementPrint {
  /** The terms version's title; a generic title when absent. */
  title?: { zh: string; en: string };
  agreementNumber: string;
  status: string;
  termsVersion: string;
  text: string;
  textSha256: string;
  signedAt: string | null;
  signerName: string | null;
  signedChannel: string | null;
  createdAt?: Date;
}

const STATUS_LABEL: Record<string, string> = {
  draft: '草稿，未签署 Draft, not signed',
  signed: '已签署 Signed',
  ended: '已终止 Ended',
};

const CHANNEL_LABEL: Record<string, string> = {
  counter: '柜台 Counter',
  self_service: '网上自助 Online self-service',
};

export function renderAgreementPdf(agreement: AgreementPrint): Promise<Buffer> {
  const title = agreement.title ?? { zh: AGREEMENT_TITLE_ZH, en: AGREEMENT_TITLE_EN };
  return renderPdf({ title: title.zh, subject: title.en, createdAt: agreement.createdAt }, (pdf) => {
    pdf.title(title.zh, title.en);
    pdf.fields([
      ['协议编号 Agreement No.', agreement.agreementNumber],
      ['条款版本 Terms version', agreement.termsVersion],
      ['状态 Status', STATUS_LABEL[agreement.status] ?? agreement.status],
    ]);
    // The signed text exactly as stored: its hash below must match it character for character.
    pdf.heading('协议正文', 'Text of the agreement');
    pdf.paragraph(agreement.text, { size: 10 });
    pdf.heading('电子签署记录', 'Electronic signature');
    pdf.fields([
      ['签署人 Signed by', agreement.signerName ?? '—'],
      ['签署时间 Signed at', agreement.signedAt ?? '—'],
      ['签署渠道 Channel', agreement.signedChannel ? (CHANNEL_LABEL[agreement.signedChannel] ?? '') : '—'],
      ['正文 SHA-256 Text hash', agreement.textSha256],
    ]);
    pdf.paragraph(
      '协议正文的 SHA-256 摘要在签署时记录；正文的任何改动都会使摘要不符。\n' +
        'The SHA-256 of the text was recorded at signing; any change to the text makes the hash differ.',
      { size: 8, grey: true },
    );
  });
}
