//! STUB
pub struct OpenAiProvider;
impl OpenAiProvider {
    pub fn new(_e: super::Endpoint, _c: reqwest::Client) -> Self {
        OpenAiProvider
    }
}
impl super::Provider for OpenAiProvider {
    fn complete<'a>(
        &'a self,
        _r: &'a super::ChatRequest,
    ) -> futures_util::future::BoxFuture<'a, Result<super::Outcome, super::ProviderError>> {
        unimplemented!()
    }
}
