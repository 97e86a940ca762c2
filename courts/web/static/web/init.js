// Start GOV.UK Frontend's components. A module script, loaded from a file: the pages allow no inline scripts.
import { initAll } from '../govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
