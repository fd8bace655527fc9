// The UI's English messages: the base file and each feature's own, merged. Loaded on its own
// (i18n.tsx loadMessages) so that a phone fetches one language, not both.
import baseEn from './en.json';
import surveyEn from '../features/survey/messages.en.json';
import careEn from '../features/patients/messages.en.json';
import careEditEn from '../features/patients/messages.edit.en.json';
import teleEn from '../features/telemedicine/messages.en.json';
import statsEn from '../features/telestats/messages.en.json';
import chartsEn from '../features/analytics/messages.en.json';
import maternalEn from '../features/maternal/messages.en.json';
import placesEn from '../features/geo/messages.en.json';
import responseEn from '../features/response-times/messages.en.json';
import outboxEn from '../features/messages/messages.en.json';
import fleetEn from '../features/ambulances/messages.en.json';
import incomingEn from '../features/dispatch/messages.en.json';
import helplineEn from '../features/helpline/messages.en.json';
import grievancesEn from '../features/grievances/messages.en.json';
import ashaEn from '../features/asha/messages.en.json';
import kitchensEn from '../features/kitchens/messages.en.json';
import registersEn from '../features/registers/messages.en.json';
import schemesEn from '../features/schemes/messages.en.json';

const en = { ...baseEn, ...surveyEn, ...careEn, ...careEditEn, ...teleEn, ...statsEn, ...chartsEn, ...maternalEn, ...placesEn, ...responseEn, ...fleetEn, ...incomingEn, ...grievancesEn, ...helplineEn, ...outboxEn, ...ashaEn, ...kitchensEn, ...schemesEn, ...registersEn };
export default en;
