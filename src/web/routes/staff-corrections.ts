import type { Request, Response } from 'express';
import { currentText } from '../../catalogue/types.ts';
import { correctPage } from '../../curation.ts';
import { documentTitle } from '../../search/page-text.ts';
import { currentUser } from '../auth.ts';
import { notFound } from '../errors.ts';
import { staffDocument } from '../visibility.ts';
import type { StaffDeps, StaffRoute } from './staff.ts';

/** Longest correction accepted for one page (a dense newspaper page is ~10,000 characters). */
const MAX_PAGE_TEXT = 200_000;

/** OCR correction beside the page (the Trove way) and the proofreading queue. */
export function correctionRoutes({ archive }: StaffDeps): StaffRoute[] {
  const load = (req: Request, res: Response) => {
    const doc = staffDocument(archive, String(req.params.id), res);
    const n = Number(req.params.n);
    const page = Number.isInteger(n) && n > 0 ? archive.catalogue.pages.get(doc.id, n) : null;
    if (!page) throw notFound('页面');
    return { doc, page };
  };

  const render = (req: Request, res: Response, status: number, text: string | null, error: string | null) => {
    const { doc, page } = load(req, res);
    res.status(status).render('staff/correct', {
      title: `${documentTitle(doc)} · ${res.locals.t('page', { n: page.number })}`,
      doc, page, text: text ?? currentText(page), error,
      lines: page.text.split('\n'), imageUrl: page.hasImage ? `/documents/${doc.id}/pages/${page.number}/image` : null,
      history: archive.catalogue.corrections.history(doc.id, page.number),
      prev: page.number > 1 ? page.number - 1 : null, next: page.number < doc.pageCount ? page.number + 1 : null,
      saved: req.query.done === 'saved',
    });
  };

  return [
    {
      method: 'get', path: '/staff/documents/:id/pages/:n', role: 'editor', body: 'none',
      handler: (req, res) => render(req, res, 200, null, null),
    },
    {
      method: 'post', path: '/staff/documents/:id/pages/:n', role: 'editor', body: 'form',
      handler: async (req, res) => {
        const { doc, page } = load(req, res);
        const text = (req.body as Record<string, unknown>).text;
        if (typeof text !== 'string' || text.length > MAX_PAGE_TEXT) {
          render(req, res, 400, typeof text === 'string' ? text.slice(0, MAX_PAGE_TEXT) : null, res.locals.t('correctionInvalid'));
          return;
        }
        await correctPage(archive, doc, page.number, text, currentUser(res)!.name);
        res.redirect(303, `/staff/documents/${doc.id}/pages/${page.number}?done=saved`);
      },
    },
    {
      method: 'get', path: '/staff/proofreading', role: 'editor', body: 'none',
      handler: (_req, res) => {
        res.render('staff/proofreading', { title: res.locals.t('proofreading'), items: archive.catalogue.corrections.proofreadingQueue(200) });
      },
    },
  ];
}
