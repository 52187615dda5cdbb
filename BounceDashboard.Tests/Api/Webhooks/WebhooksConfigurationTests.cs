using System.Net;
using System.Text;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Api.Webhooks;
using Microsoft.Extensions.Options;
using Xunit;

namespace BounceDashboard.Tests.Api.Webhooks;

public sealed class WebhooksConfigurationTests
{
    [Fact]
    public async Task Post_ShouldAnswer401ToEveryProvider_WhenNoWebhookIsConfigured()
    {
        await using var app = await ConfiguredBounceDashboardApp.Production().StartAsync();
        using var client = app.CreateRawClient();

        foreach (var provider in new[] { "ses", "sendgrid", "postmark", "mailgun" })
        {
            using var content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync($"{WebhookEndpoints.Prefix}/{provider}", content);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Start_ShouldStopWithAMessage_WhenTheSendGridKeyIsNotAP256PublicKey()
    {
        await using var app = ConfiguredBounceDashboardApp.Production(("Webhooks:SendGrid:PublicKey", "bm90IGEga2V5"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Webhooks:SendGrid:PublicKey", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Webhooks:Mailgun:MaxAge", "00:00:01", "Webhooks:Mailgun:MaxAge")]
    [InlineData("Webhooks:SendGrid:MaxAge", "2.00:00:00", "Webhooks:SendGrid:MaxAge")]
    [InlineData("Webhooks:Postmark:TokenHeader", "X Bad Header", "Webhooks:Postmark:TokenHeader")]
    [InlineData("Webhooks:MaxBodyBytes", "10", "MaxBodyBytes")]
    public async Task Start_ShouldStopNamingTheSetting_WhenAWebhookLimitIsOutOfRange(string key, string value, string named)
    {
        await using var app = ConfiguredBounceDashboardApp.Production((key, value));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sns.eu-west-1.amazonaws.com", true)]
    [InlineData("SNS.us-east-1.AmazonAWS.com", true)]
    [InlineData("sns.cn-north-1.amazonaws.com.cn", true)]
    [InlineData("sns.eu-west-1.amazonaws.com.evil.example", false)]
    [InlineData("evil-sns.eu-west-1.amazonaws.com", false)]
    [InlineData("sns.amazonaws.com", false)]
    [InlineData("sns.a.b.amazonaws.com", false)]
    [InlineData("s3.eu-west-1.amazonaws.com", false)]
    public void IsAllowed_ShouldAcceptOnlySnsHostsOfAws_WhenTheDefaultsApply(string host, bool allowed)
    {
        Assert.Equal(allowed, SnsHosts.IsAllowed($"https://{host}/SimpleNotificationService-abc.pem", SesWebhookOptions.DefaultAllowedHosts));
        Assert.False(SnsHosts.IsAllowed($"http://{host}/SimpleNotificationService-abc.pem", SesWebhookOptions.DefaultAllowedHosts));
        Assert.False(SnsHosts.IsAllowed($"https://user@{host}/x.pem", SesWebhookOptions.DefaultAllowedHosts));
    }
}
