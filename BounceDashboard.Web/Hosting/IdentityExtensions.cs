using BounceDashboard.Web.Data;
using BounceDashboard.Web.Identity;
using BounceDashboard.Web.Options;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace BounceDashboard.Web.Hosting;

public static class IdentityExtensions
{
    /// <summary>ASP.NET Core Identity on our database, cookie sign-in, and every endpoint behind sign-in.</summary>
    public static void AddBounceDashboardIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>()
            .BindConfiguration(DemoOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Cookie authentication
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = AccountPaths.Login;
            options.LogoutPath = AccountPaths.Logout;
            options.AccessDeniedPath = AccountPaths.AccessDenied;
        });

        // The antiforgery cookie is Secure over HTTPS like the sign-in cookie (its own default is never Secure);
        // behind a proxy, "HTTPS" is what a known proxy says (ReverseProxyExtensions).
        builder.Services.Configure<AntiforgeryOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // Users and roles in BounceDbContext
        builder.Services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BounceDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.AddScoped<DemoIdentitySeeder>();
        // A disabled user, a reset password or a changed role ends other sessions within minutes, not Identity's default 30.
        builder.Services.Configure<SecurityStampValidatorOptions>(options =>
            options.ValidationInterval = IdentityRevalidatingAuthenticationStateProvider.Interval);

        // Every endpoint requires a signed-in user unless it says [AllowAnonymous] (the login page).
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // Blazor
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
    }

    /// <summary>Creates the roles and the demo users (idempotent).</summary>
    public static async Task SeedBounceDashboardIdentityAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoIdentitySeeder>().SeedAsync();
    }

    /// <summary>Sign-out is a POST with an antiforgery token, so another site cannot sign a user out.</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(AccountPaths.Logout, async Task<IResult> (HttpContext context, SignInManager<ApplicationUser> signInManager) =>
            {
                // The antiforgery middleware records its verdict; an endpoint that binds no form must read it.
                if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
                {
                    return TypedResults.BadRequest();
                }

                await signInManager.SignOutAsync();
                return TypedResults.LocalRedirect(AccountPaths.Login);
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
    }
}
