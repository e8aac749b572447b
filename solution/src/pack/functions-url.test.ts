import { endpointUrl, functionsApiBase } from './functions-url';

describe('the functions app address an admin gives', () => {
  it('becomes the /api base the webhook routes live under, with or without /api and a trailing slash', () => {
    for (const given of ['https://contoso.azurewebsites.net', 'https://contoso.azurewebsites.net/', 'https://contoso.azurewebsites.net/api', 'https://contoso.azurewebsites.net/api/']) {
      expect(functionsApiBase(given)).toBe('https://contoso.azurewebsites.net/api');
    }
    expect(endpointUrl('{functionsBaseUrl}/dataverse/message-created', functionsApiBase('https://contoso.azurewebsites.net'))).toBe('https://contoso.azurewebsites.net/api/dataverse/message-created');
    expect(endpointUrl('https://elsewhere.example.com/hook', 'https://contoso.azurewebsites.net/api')).toBe('https://elsewhere.example.com/hook');
  });

  it('is refused when it is not an absolute https URL, or carries a query (keys never travel in it)', () => {
    expect(() => functionsApiBase('contoso.azurewebsites.net')).toThrow("--functions-url 'contoso.azurewebsites.net' is not an absolute URL");
    expect(() => functionsApiBase('http://contoso.azurewebsites.net')).toThrow(/must use https/);
    expect(() => functionsApiBase('https://contoso.azurewebsites.net/api?code=secret')).toThrow(/without query/);
    expect(functionsApiBase('http://127.0.0.1:7071')).toBe('http://127.0.0.1:7071/api');
  });
});
