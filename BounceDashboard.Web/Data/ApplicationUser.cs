using Microsoft.AspNetCore.Identity;

namespace BounceDashboard.Web.Data;

/// <summary>A person who signs in to the dashboard. Identity's tables live in our own database.</summary>
public class ApplicationUser : IdentityUser;
