//! STUB
pub struct AnthropicProvider;
impl AnthropicProvider {
    pub fn new(_e: super::Endpoint, _c: reqwest::Client) -> Self {
        AnthropicProvider
    }
}
impl super::Provider for AnthropicProvider {
    fn complete<'a>(
        &'a self,
        _r: &'a super::ChatRequest,
    ) -> futures_util::future::BoxFuture<'a, Result<super::Outcome, super::ProviderError>> {
        unimplemented!()
    }
}
