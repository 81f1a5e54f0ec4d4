// The shared layout of the center's printed documents (certificates, agreements, contracts): pdfkit with
// the embedded Noto Sans SC font so Chinese renders and stays extractable as text, the center's name as
// the page header, titles, label/value blocks, tables, and a footer with page numbers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

export const CENTER_NAME_ZH = '包头市住房公积金管理中心';
export const CENTER_NAME_EN = 'Baotou Housing Provident Fund Management Center';

const FONT = 'NotoSansSC';
const FONT_FILE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
const MARGIN = { top: 78, bottom: 60, left: 56, right: 56 };
const GREY = '#555555';
const RULE = '#999999';
const HEADER_FILL = '#eeeeee';

let fontData: Buffer | undefined;

/** The CJK font, read once (10 MB) and reused; pdfkit embeds only the glyphs a document uses. */
function cjkFont(): Buffer {
  fontData ??= readFileSync(createRequire(import.meta.url).resolve(FONT_FILE));
  return fontData;
}

export interface TableColumn {
  /** The Chinese header. */
  header: string;
  /** The English sub-label under it. */
  subHeader?: string;
  /** Relative width: the columns share the text width in proportion. */
  width: number;
  align?: 'left' | 'center' | 'right';
}

export interface DocumentMeta {
  /** The PDF's title (document information), e.g. the Chinese title. */
  title: string;
  subject?: string;
  /** Fixed creation time, for reproducible output (tests); default now. */
  createdAt?: Date;
}

/** Drawing helpers over one pdfkit document; every document of the center is built with these. */
export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
  }

  private get left(): number {
    return this.doc.page.margins.left;
  }

  private get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page when fewer than `height` points are left on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  /** The document title, centred: Chinese large, English beneath. */
  title(zh: string, en?: string): this {
    this.doc.font(FONT).fontSize(17).fillColor('black').text(zh, this.left, this.doc.y, {
      width: this.width,
      align: 'center',
    });
    if (en) this.doc.fontSize(10).fillColor(GREY).text(en, { width: this.width, align: 'center' });
    this.doc.fillColor('black').moveDown(0.8);
    return this;
  }

  /** A section heading with an optional English sub-label. */
  heading(zh: string, en?: string): this {
    this.ensureSpace(40);
    this.doc.moveDown(0.4);
    this.doc
      .font(FONT)
      .fontSize(12)
      .fillColor('black')
      .text(en ? `${zh}  ` : zh, this.left, this.doc.y, {
        width: this.width,
        continued: Boolean(en),
      });
    if (en) this.doc.fontSize(9).fillColor(GREY).text(en);
    this.doc.fillColor('black').moveDown(0.3);
    return this;
  }

  /** Running text (keeps its line breaks). */
  paragraph(text: string, options: { size?: number; grey?: boolean; align?: 'left' | 'justify' } = {}): this {
    this.doc
      .font(FONT)
      .fontSize(options.size ?? 10)
      .fillColor(options.grey ? GREY : 'black')
      .text(text, this.left, this.doc.y, { width: this.width, align: options.align ?? 'left', lineGap: 2 });
    this.doc.fillColor('black').moveDown(0.4);
    return this;
  }

  /** Label/value pairs, one per line: "姓名 Name    张三". */
  fields(rows: ReadonlyArray<readonly [label: string, value: string]>, labelWidth = 170): this {
    const size = 10;
    this.doc.font(FONT).fontSize(size);
    for (const [label, value] of rows) {
      const valueWidth = this.width - labelWidth;
      const height = Math.max(
        this.doc.heightOfString(label, { width: labelWidth - 6 }),
        this.doc.heightOfString(value, { width: valueWidth }),
      );
      this.ensureSpace(height + 4);
      const y = this.doc.y;
      this.doc.fillColor(GREY).text(label, this.left, y, { width: labelWidth - 6 });
      this.doc.fillColor('black').text(value, this.left + labelWidth, y, { width: valueWidth });
      this.doc.y = y + height + 4;
    }
    this.doc.x = this.left;
    this.doc.moveDown(0.3);
    return this;
  }

  /**
   * A ruled table: a header row (Chinese, English sub-label), the rows, and optional total rows set in
   * the header's shade. Long tables continue on the next page with the header repeated.
   */
  table(
    columns: readonly TableColumn[],
    rows: ReadonlyArray<readonly string[]>,
    options: { totals?: ReadonlyArray<readonly string[]>; fontSize?: number } = {},
  ): this {
    const size = options.fontSize ?? 9;
    const pad = 4;
    const totalWeight = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / totalWeight) * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((s, w) => s + w, 0));

    const rowHeight = (cells: readonly string[], fontSize: number) => {
      this.doc.font(FONT).fontSize(fontSize);
      return (
        Math.max(
          ...cells.map((c, i) => this.doc.heightOfString(c, { width: widths[i]! - 2 * pad })),
          fontSize,
        ) +
        2 * pad
      );
    };
    const drawRow = (cells: readonly string[], fontSize: number, fill?: string) => {
      const height = rowHeight(cells, fontSize);
      const y = this.doc.y;
      cells.forEach((cell, i) => {
        if (fill) this.doc.rect(xs[i]!, y, widths[i]!, height).fillColor(fill).fill();
        this.doc.rect(xs[i]!, y, widths[i]!, height).lineWidth(0.5).strokeColor(RULE).stroke();
        this.doc
          .fillColor('black')
          .font(FONT)
          .fontSize(fontSize)
          .text(cell, xs[i]! + pad, y + pad, {
            width: widths[i]! - 2 * pad,
            align: columns[i]!.align ?? 'left',
          });
      });
      this.doc.y = y + height;
    };
    const headerCells = columns.map((c) => (c.subHeader ? `${c.header}\n${c.subHeader}` : c.header));
    const drawHeader = () => drawRow(headerCells, size - 0.5, HEADER_FILL);

    this.ensureSpace(rowHeight(headerCells, size - 0.5) + rowHeight(rows[0] ?? [''], size));
    drawHeader();
    for (const row of rows) {
      if (this.doc.y + rowHeight(row, size) > this.bottom) {
        this.doc.addPage();
        drawHeader();
      }
      drawRow(row, size);
    }
    for (const row of options.totals ?? []) {
      this.ensureSpace(rowHeight(row, size));
      drawRow(row, size, HEADER_FILL);
    }
    this.doc.x = this.left;
    this.doc.moveDown(0.6);
    return this;
  }

  /** Vertical space in points. */
  space(points: number): this {
    this.doc.y += points;
    return this;
  }
}

function drawPageHeader(doc: PDFKit.PDFDocument): void {
  const { left, right, top } = doc.page.margins;
  const width = doc.page.width - left - right;
  doc.font(FONT).fontSize(11).fillColor('black').text(CENTER_NAME_ZH, left, 30, { width, lineBreak: false });
  doc.fontSize(8).fillColor(GREY).text(CENTER_NAME_EN, left, 46, { width, lineBreak: false });
  doc
    .moveTo(left, top - 14)
    .lineTo(left + width, top - 14)
    .lineWidth(0.75)
    .strokeColor(RULE)
    .stroke();
  doc.fillColor('black');
  doc.x = left;
  doc.y = top;
}

function drawPageFooters(doc: PDFKit.PDFDocument, title: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const { left, right, bottom } = doc.page.margins;
    const width = doc.page.width - left - right;
    const y = doc.page.height - bottom + 22;
    // Writing below the bottom margin would start a new page: lift the margin while the footer is drawn.
    doc.page.margins.bottom = 0;
    doc
      .moveTo(left, y - 6)
      .lineTo(left + width, y - 6)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.font(FONT).fontSize(8).fillColor(GREY);
    doc.text(title, left, y, { width: width / 2, lineBreak: false });
    const pageText = `第 ${i + 1} 页 / 共 ${range.count} 页   Page ${i + 1} of ${range.count}`;
    doc.text(pageText, left + width / 2, y, { width: width / 2, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

/**
 * Renders one document: `draw` fills the pages through a PdfWriter; every page gets the center's header
 * and a footer with the title and "page i of n". Resolves to the PDF bytes.
 */
export async function renderPdf(meta: DocumentMeta, draw: (writer: PdfWriter) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: false,
    info: {
      Title: meta.title,
      Author: CENTER_NAME_ZH,
      Creator: 'Anju',
      ...(meta.subject ? { Subject: meta.subject } : {}),
      CreationDate: meta.createdAt ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT, cjkFont());
  doc.on('pageAdded', () => drawPageHeader(doc));
  doc.addPage();
  draw(new PdfWriter(doc));
  drawPageFooters(doc, meta.title);
  doc.end();
  return finished;
}
