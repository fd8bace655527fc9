// The printed e-prescription: the doctor's title once, and footer lines that do not overlap,
// checked on the text positions pdf.js reads back from the rendered PDF.
// Run: NODE_ENV=test node --import tsx --test server/src/modules/telemedicine/telemedicine.prescription.pdf.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { renderPrescription, withTitle } from './telemedicine.prescription.pdf.js';

type Contents = Parameters<typeof renderPrescription>[0];

function contents(o: { doctorName?: string; doctorNameHi?: string | null; patient?: string; items?: number } = {}): Contents {
  const items = Array.from({ length: o.items ?? 2 }, (_, i) => ({
    line: i + 1, medicine: 'Paracetamol', strength: '500 mg', form: 'tablet', name_hi: 'पैरासिटामोल', dose: '1 tablet',
    frequency: 'TDS', days: 5, instructions: 'after food',
  }));
  return {
    rx: { id: '0b6c9d7e-1d1e-4a70-9f5b-3f1d0c2a7e11', issued_at: new Date('2026-03-04T05:30:00Z') },
    request: { id: 'r1', specialty: 'general_medicine', complaint: 'fever for three days' },
    patient: { id: 'p1', name: o.patient ?? 'Sunita Devi', name_hi: 'सुनीता देवी', name_latin: o.patient ?? 'Sunita Devi', sex: 'female', birth_date: '1990-05-01', state_number: 'UP-2026-000123', abha_number: null },
    doctor: { name: o.doctorName ?? 'Asha Verma', nameHi: o.doctorNameHi === undefined ? 'आशा वर्मा' : o.doctorNameHi, qualification: 'MBBS, MD', registrationNumber: 'UPMC-12345', council: 'Uttar Pradesh Medical Council', hprId: null },
    doctorName: o.doctorName ?? 'Asha Verma',
    hub: { name: 'District Hospital Lucknow', name_hi: 'जिला अस्पताल लखनऊ' },
    spoke: { name: 'HWC Malihabad', name_hi: 'एचडब्ल्यूसी मलीहाबाद' },
    record: { advice: 'Drink plenty of water.', follow_up_on: '2026-03-11' },
    items,
    diagnoses: [{ code: 'R50.9', title: 'Fever, unspecified', titleHi: 'बुखार' }],
  } as unknown as Contents;
}

interface Line { text: string; x: number; top: number; bottom: number; page: number }

/** Text runs of every page with their boxes, top-down in points (pdf.js gives baselines bottom-up). */
async function textBoxes(pdf: Buffer): Promise<Line[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, verbosity: 0 }).promise;
  const out: Line[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const height = page.getViewport({ scale: 1 }).height;
    const content = await page.getTextContent();
    for (const it of content.items) {
      if (!('str' in it) || !it.str.trim()) continue;
      const size = Math.hypot(it.transform[2], it.transform[3]);
      const baseline = height - it.transform[5];
      // A glyph box reaches about 0.8 of the size above the baseline and 0.2 below (more for Devanagari's matras).
      out.push({ text: it.str, x: it.transform[4], top: baseline - size * 0.8, bottom: baseline + size * 0.25, page: n });
    }
  }
  return out;
}

const hindi = (s: string) => /[\u0900-\u097F]/.test(s);

test('the doctor is titled once: "Dr." before a plain name, none added to one that has it', () => {
  assert.equal(withTitle('Asha Verma'), 'Dr. Asha Verma');
  assert.equal(withTitle('Dr. Asha Verma'), 'Dr. Asha Verma');
  assert.equal(withTitle('Dr Asha Verma'), 'Dr. Asha Verma');
  assert.equal(withTitle('DR. ASHA VERMA'), 'Dr. ASHA VERMA');
  assert.equal(withTitle('Dr.Asha Verma'), 'Dr. Asha Verma');
  assert.equal(withTitle('  dr. asha verma '), 'Dr. asha verma');
  assert.equal(withTitle('Drishti Rao'), 'Dr. Drishti Rao');
  assert.equal(withTitle('डॉ. आशा वर्मा'), 'डॉ. आशा वर्मा');
  assert.equal(withTitle('डॉ आशा वर्मा'), 'डॉ आशा वर्मा');
  assert.equal(withTitle('डा. आशा वर्मा'), 'डा. आशा वर्मा');
  assert.equal(withTitle('Doctor Asha Verma'), 'Doctor Asha Verma');
});

test('the PDF prints "Dr." once per place the name appears, however the name was written', async () => {
  for (const name of ['Asha Verma', 'Dr. Asha Verma', 'Dr Asha Verma', 'डॉ. आशा वर्मा']) {
    const lines = await textBoxes(await renderPrescription(contents({ doctorName: name, doctorNameHi: 'डॉ. आशा वर्मा' })));
    const all = lines.map((l) => l.text).join('\n');
    assert.doesNotMatch(all, /Dr\.?\s*Dr/i, `${name}: a doubled title`);
    assert.doesNotMatch(all, /डॉ\.?\s*डॉ/, `${name}: a doubled Hindi title`);
    assert.doesNotMatch(all, /Dr\.?\s*डॉ/, `${name}: two titles`);
  }
});

test('the footer\'s English and Hindi lines do not overlap, on every page, even when the English wraps', async () => {
  const long = 'Venkata Subrahmanya Lakshmi Narasimha Bhagyalakshmi Ramachandran Pillai';
  for (const c of [contents(), contents({ patient: long, items: 40 })]) {
    const lines = await textBoxes(await renderPrescription(c));
    const pages = Math.max(...lines.map((l) => l.page));
    if (c.items.length === 40) assert.ok(pages >= 2, 'forty medicines take more than a page');
    for (let p = 1; p <= pages; p++) {
      const footer = lines.filter((l) => l.page === p && l.top > 842 - 62);
      const en = footer.filter((l) => !hindi(l.text));
      const hi = footer.filter((l) => hindi(l.text));
      assert.ok(en.length && hi.length, `page ${p} has both footer lines: ${JSON.stringify(footer.map((l) => l.text))}`);
      assert.match(en.map((l) => l.text).join(' '), new RegExp(`page ${p} of ${pages}`));
      const enBottom = Math.max(...en.map((l) => l.bottom));
      const hiTop = Math.min(...hi.map((l) => l.top));
      assert.ok(enBottom <= hiTop, `page ${p}: English footer ends at ${enBottom.toFixed(1)}, Hindi begins at ${hiTop.toFixed(1)}`);
      assert.ok(Math.max(...hi.map((l) => l.bottom)) <= 842, `page ${p}: the Hindi footer fits on the page`);
      // Nothing from the page body runs into the footer.
      const body = lines.filter((l) => l.page === p && l.top <= 842 - 62);
      assert.ok(Math.max(...body.map((l) => l.bottom)) < Math.min(...footer.map((l) => l.top)), `page ${p}: the body stays above the footer`);
    }
  }
});
